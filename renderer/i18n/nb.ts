import type { Messages } from './en.js';
export const nb: Messages = {
  app: { title: 'Vakt', tagline: 'SLA-vaktpult' },
  nav: { intake: 'Ny henvendelse', queue: 'Kø', callbacks: 'Tilbakemeldinger', contracts: 'Avtaler', main: 'Hoved' },
  status: { connecting: 'Kobler til appens tjenester…', ready: 'Klar', failed: 'Appens tjenester svarte ikke: {{message}}' },
  home: {
    heading: 'Vaktpult',
    intro: 'Ta samtalen, følg køen, og gi hver tilbakemelding i tide.',
    version: 'Versjon',
    host: 'Kjører som',
    dataDir: 'Datamappe',
    timezone: 'Tidssone',
  },
  language: 'Språk',
};
