// What each area of main/ may import, checked by vakt/layering (in the manner
// of VS Code's code-import-patterns). docs/architecture.md has the same table.
//
//   main/app/          wiring               core, db, api, handlers, services
//   main/api/          dispatch, errors     core; db types only
//   main/handlers/X/   contract methods     core, db, api, services, its own X; app types only (the context)
//   main/hosts/X/      electron, http, cli  core, db, app, api, hosts, services
//   main/<service>/    alerts, sync, notify, tickets, reports, and any other folder:
//                                           core, db, api, services; app types only (the context)
//
// No area imports main/hosts/ but the hosts; no handler imports another handler area.

/** @type {Record<string, { may: string[], typeOnly?: string[] }>} */
export const MAIN_AREAS = {
  app: { may: ['core', 'db', 'api', 'handlers', 'services'] },
  api: { may: ['core'], typeOnly: ['db'] },
  handlers: { may: ['core', 'db', 'api', 'services'], typeOnly: ['app'] },
  hosts: { may: ['core', 'db', 'app', 'api', 'hosts', 'services'] },
  services: { may: ['core', 'db', 'api', 'services'], typeOnly: ['app'] },
};

/** The area of a repo-relative path ('main/handlers/desk/x.ts' -> {kind: 'handlers', name: 'handlers/desk'}), or null outside core, db, main. */
export function areaOf(rel) {
  const [top, second, third] = rel.split('/');
  if (top === 'core' || top === 'db') return { kind: top, name: top };
  if (top !== 'main' || second === undefined || third === undefined) return null;
  if (second === 'app' || second === 'api') return { kind: second, name: second };
  if (second === 'handlers' || second === 'hosts') return { kind: second, name: `${second}/${third}` };
  return { kind: 'services', name: second };
}

/**
 * Why `fromRel` (a file in main/) may not import `toRel`, or null when it may.
 * Both are repo-relative with '/'; `typeOnly`: the import brings types only.
 */
export function mainAreaRefusal(fromRel, toRel, typeOnly) {
  const from = areaOf(fromRel);
  const to = areaOf(toRel);
  if (!from || !to || from.kind === 'core' || from.kind === 'db') return null;
  if (from.name === to.name) return null;
  const rule = MAIN_AREAS[from.kind];
  const allowed = [...rule.may, ...(rule.typeOnly ?? []).map((k) => `${k} (types only)`)].join(', ');
  const label = (a) => (a.kind === 'core' || a.kind === 'db' ? `${a.name}/` : `main/${a.name}/`);
  if (from.kind === 'handlers' && to.kind === 'handlers') {
    return { from: label(from), to: label(to), allowed, why: 'a handler area imports no other handler area: move what both need to main/api or a service' };
  }
  if (rule.may.includes(to.kind)) return null;
  if (rule.typeOnly?.includes(to.kind)) return typeOnly ? null : { from: label(from), to: label(to), allowed, why: 'types only (`import type`)' };
  return { from: label(from), to: label(to), allowed, why: 'not allowed' };
}
