/** The domain's vocabulary, once: values the renderer, db, main and server share. No zod here. */
export * from './ticket-status.js';
export * from './ticket-vocabulary.js';
export * from './ticket-fields.js';
