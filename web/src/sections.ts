// The panel's top-level paths; the server answers each with index.html (src/http/routes/panel-static.ts lists the same).
export const panelSections = [
  'inbox',
  'search',
  'activity',
  'quarantine',
  'leads',
  'contacts',
  'rules',
  'keywords',
  'segments',
  'forms',
  'clone',
  'reports',
  'team',
  'login',
  'setup',
] as const;
