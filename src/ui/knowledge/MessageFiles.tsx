import type { MessageFile } from '../../core/storage/schema';
import type { DocumentRecord } from '../../core/rag/schema';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import { FileChips } from './FileChips';
import { docView } from './doc-view';

/** A question's files as chips, each with its indexing state until ready (or why it failed). */
export function MessageFiles(props: { files: MessageFile[] }) {
  const app = useApp();
  const docs = createLiveQuery<Array<DocumentRecord | undefined>, string>(
    (ids) => app.db.documents.bulkGet(ids.split(' ')),
    [],
    undefined,
    () => props.files.map((f) => f.documentId).join(' '),
  );
  const chip = (f: MessageFile, i: number) => {
    const d = docs()[i];
    const v = d ? docView(d) : null;
    const note = !v || v.status === 'ready' ? undefined : v.status === 'error' ? v.label : v.percent ? `indexing ${v.percent}%` : 'indexing';
    return { key: f.documentId, name: f.name, size: f.size, note, error: v?.status === 'error' };
  };
  return <FileChips files={props.files.map(chip)} testId="message-file" label="Attached files" />;
}
