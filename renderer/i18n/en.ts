export const en = {
  app: { title: 'Vakt', tagline: 'On-call SLA desk' },
  nav: { intake: 'New call', queue: 'Queue', callbacks: 'Callbacks', contracts: 'Contracts', main: 'Main' },
  status: { connecting: 'Connecting to the app services…', ready: 'Ready', failed: 'The app services did not answer: {{message}}' },
  home: {
    heading: 'Duty desk',
    intro: 'Take a call, watch the queue, keep every callback on time.',
    version: 'Version',
    host: 'Running as',
    dataDir: 'Data folder',
    timezone: 'Time zone',
  },
  language: 'Language',
};
export type Messages = typeof en;
