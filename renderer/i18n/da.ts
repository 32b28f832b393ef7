import type { Messages } from './en.js';
export const da: Messages = {
  app: { title: 'Vakt', tagline: 'SLA-vagtskrivebord' },
  nav: { intake: 'Nyt opkald', queue: 'Kø', callbacks: 'Tilbagemeldinger', contracts: 'Aftaler', main: 'Hoved' },
  status: { connecting: 'Forbinder til appens tjenester…', ready: 'Klar', failed: 'Appens tjenester svarede ikke: {{message}}' },
  home: {
    heading: 'Vagtskrivebord',
    intro: 'Tag opkaldet, hold øje med køen, og nå hver tilbagemelding til tiden.',
    version: 'Version',
    host: 'Kører som',
    dataDir: 'Datamappe',
    timezone: 'Tidszone',
  },
  language: 'Sprog',
};
