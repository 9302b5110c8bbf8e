// Spam keywords: a phrase found in any submitted field sends the lead to quarantine; add, edit, note, hits, try first.
import { useState } from 'preact/hooks';
import { createKeyword, deleteKeyword, fetchKeywords, updateKeyword } from '../api/endpoints.ts';
import type { Keyword } from '../api/types.ts';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { TryPreview } from '../components/try-preview.tsx';
import { canReview, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

export function KeywordsPage() {
  const { account } = useSession();
  const [search, setSearch] = useState('');
  const keywords = useLoad(() => fetchKeywords(account.id, search || undefined), [account.id, search]);
  const edit = canReview(account.role);
  const [editing, setEditing] = useState<Keyword | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const remove = async (keyword: Keyword) => {
    if (!window.confirm(`Delete the keyword “${keyword.phrase}”?`)) return;
    try {
      await deleteKeyword(account.id, keyword.id);
      setMessage('Keyword deleted.');
      keywords.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Keywords</h1>
      </div>
      <p class="muted">A lead with one of these phrases in any field goes to quarantine.</p>
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error} />
      {edit && (
        <KeywordEditor
          key={editing?.id ?? 'new'}
          keyword={editing}
          onSaved={(text) => {
            setMessage(text);
            setEditing(undefined);
            keywords.reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      <div class="filters card" role="search">
        <Field label="Search keywords" class="grow">
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
      </div>
      <ErrorNotice error={keywords.error} />
      {keywords.loading && !keywords.data ? (
        <Loading what="Loading keywords" />
      ) : !keywords.data || keywords.data.items.length === 0 ? (
        <Empty>{search ? 'No keyword matches.' : 'No keywords yet.'}</Empty>
      ) : (
        <div class="table-wrap">
          <table class="plain-table">
            <caption class="visually-hidden">Keywords</caption>
            <thead>
              <tr>
                <th scope="col">Phrase</th>
                <th scope="col">Note</th>
                <th scope="col" class="num">
                  Hits
                </th>
                {edit && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {keywords.data.items.map((keyword) => (
                <tr key={keyword.id}>
                  <td class="evidence">{keyword.phrase}</td>
                  <td>{keyword.note ?? ''}</td>
                  <td class="num">{keyword.hits ?? 0}</td>
                  {edit && (
                    <td class="row-actions">
                      <button
                        type="button"
                        aria-label={`Edit keyword ${keyword.phrase}`}
                        onClick={() => setEditing(keyword)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Delete keyword ${keyword.phrase}`}
                        onClick={() => remove(keyword)}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface KeywordEditorProps {
  readonly keyword: Keyword | undefined;
  readonly onSaved: (message: string) => void;
  readonly onCancel: () => void;
}

function KeywordEditor({ keyword, onSaved, onCancel }: KeywordEditorProps) {
  const { account } = useSession();
  const [phrase, setPhrase] = useState(keyword?.phrase ?? '');
  const [note, setNote] = useState(keyword?.note ?? '');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = { phrase: phrase.trim(), note: note.trim() || undefined };
    try {
      if (keyword) await updateKeyword(account.id, keyword.id, body);
      else await createKeyword(account.id, body);
      if (!keyword) {
        setPhrase('');
        setNote('');
      }
      onSaved(keyword ? 'Keyword saved.' : 'Keyword added.');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const trimmed = phrase.trim();
  return (
    <form class="card editor" onSubmit={save} aria-label={keyword ? 'Edit keyword' : 'Add a keyword'}>
      <h2>{keyword ? 'Edit keyword' : 'Add a keyword'}</h2>
      <div class="row">
        <Field label="Phrase" class="grow">
          <input required maxLength={200} value={phrase} onInput={(e) => setPhrase(e.currentTarget.value)} />
        </Field>
        <Field label="Note" class="grow">
          <input maxLength={1000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </Field>
      </div>
      <TryPreview input={trimmed ? { kind: 'keyword', phrase: trimmed } : undefined} />
      <ErrorNotice error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !trimmed}>
          {keyword ? 'Save keyword' : 'Add keyword'}
        </button>
        {keyword && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
