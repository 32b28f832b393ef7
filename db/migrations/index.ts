/** All migrations, in order. Add a new file and list it here; never edit a shipped one. */
import type { Migration } from './types.js';
import { migration as m0001 } from './0001-initial.js';
import { migration as m0002 } from './0002-search.js';
import { migration as m0003 } from './0003-alerts.js';
import { migration as m0004 } from './0004-sync.js';
import { migration as m0005 } from './0005-queue-filters.js';
import { migration as m0006 } from './0006-field-events.js';
import { migration as m0007 } from './0007-photo-events.js';
import { migration as m0008 } from './0008-attachment-queue.js';
import { migration as m0009 } from './0009-sync-records.js';
import { migration as m0010 } from './0010-intake-id.js';
import { migration as m0011 } from './0011-event-receipts.js';
import { migration as m0012 } from './0012-search-ticket-fields.js';
import { migration as m0013 } from './0013-oncall-rota-alert-acks.js';
import { migration as m0014 } from './0014-contract-critical-policy.js';
import { migration as m0015 } from './0015-contract-maintenance.js';
import { migration as m0016 } from './0016-services-outages.js';
import { migration as m0017 } from './0017-reports-warranty.js';
import { migration as m0018 } from './0018-ticket-sla-summary.js';
import { migration as m0019 } from './0019-wake-planned.js';
import { migration as m0020 } from './0020-contract-wake.js';
import { migration as m0021 } from './0021-alert-timers.js';
import { migration as m0022 } from './0022-alert-panel.js';
import { migration as m0023 } from './0023-search-merge.js';

export type { Migration } from './types.js';

export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
  m0021,
  m0022,
  m0023,
];

export const LATEST_VERSION = migrations.length;
