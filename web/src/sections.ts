// The panel's top-level paths; the server answers each with index.html (src/http/routes/panel-static.ts reads this list).
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
