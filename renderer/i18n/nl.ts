import type { Messages } from './en.js';
export const nl: Messages = {
  app: { title: 'Vakt', tagline: 'SLA-dienstbalie' },
  nav: { intake: 'Nieuwe melding', queue: 'Wachtrij', callbacks: 'Terugkoppelingen', contracts: 'Contracten', main: 'Hoofd' },
  status: { connecting: 'Verbinden met de app-diensten…', ready: 'Gereed', failed: 'De app-diensten antwoordden niet: {{message}}' },
  home: {
    heading: 'Dienstbalie',
    intro: 'Neem de melding aan, bewaak de wachtrij en koppel elke keer op tijd terug.',
    version: 'Versie',
    host: 'Draait als',
    dataDir: 'Gegevensmap',
    timezone: 'Tijdzone',
  },
  language: 'Taal',
};
