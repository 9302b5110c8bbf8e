// Which page answers which panel path.
import type { Location } from './router.ts';
import { matchPath } from './router.ts';
import type { Session } from './session.ts';
import { AccountPage } from './pages/account-page.tsx';
import { ApiKeysPage } from './pages/api-keys-page.tsx';
import { ClonePage } from './pages/clone-page.tsx';
import { ContactPage } from './pages/contact-page.tsx';
import { FormsPage } from './pages/forms-page.tsx';
import { KeywordsPage } from './pages/keywords-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { QuarantinePage } from './pages/quarantine-page.tsx';
import { ReportsPage } from './pages/reports-page.tsx';
import { RulesPage } from './pages/rules-page.tsx';
import { SegmentsPage } from './pages/segments-page.tsx';
import { TeamPage } from './pages/team-page.tsx';
import { Link } from './components/link.tsx';

export function renderRoute(location: Location, session: Session) {
  const key = session.account.id;
  const path = location.path.replace(/\/+$/, '') || '/';
  switch (path) {
    case '/':
    case '/inbox':
      return <LeadsPage key={`inbox-${key}`} mode="inbox" />;
    case '/search':
      return <LeadsPage key={`search-${key}`} mode="search" />;
    case '/activity':
      return <LeadsPage key={`activity-${key}`} mode="activity" />;
    case '/quarantine':
      return <QuarantinePage key={key} />;
    case '/rules':
      return <RulesPage key={key} />;
    case '/keywords':
      return <KeywordsPage key={key} />;
    case '/segments':
      return <SegmentsPage key={key} />;
    case '/forms':
      return <FormsPage key={key} />;
    case '/clone':
      return <ClonePage key={key} />;
    case '/reports':
      return <ReportsPage key={key} />;
    case '/team':
      return <TeamPage key={key} />;
    case '/api-keys':
      return <ApiKeysPage key={key} />;
    case '/account':
      return <AccountPage />;
  }
  const lead = matchPath('/leads/:id', path);
  if (lead?.id) return <LeadPage key={`${key}-${lead.id}`} leadId={lead.id} />;
  const contact = matchPath('/contacts/:id', path);
  if (contact?.id) return <ContactPage key={`${key}-${contact.id}`} contactId={contact.id} />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no panel page at this address. <Link to="/inbox">Go to the inbox</Link>.
      </p>
    </section>
  );
}
