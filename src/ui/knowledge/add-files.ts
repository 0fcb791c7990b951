import type { AddFileResult, AddTarget, TextFile } from '../../../workers/knowledge/api';
import { CODE_LANGUAGES } from '../../core/rag/extract/code';
import { extensionOf } from '../../core/rag/extract/detect-kind';
import { precheck } from '../../core/rag/extract/extract-file';
import { toAppError } from '../../core/errors';
import { extractHtml } from './extract-html';

/** Extensions the file picker offers (other files can still be dropped; extraction says why it refuses them). */
const DOC_EXTENSIONS = [
  'txt', 'text', 'log', 'rst', 'org', 'adoc', 'md', 'markdown', 'mdx', 'html', 'htm', 'xhtml', 'pdf', 'docx',
  'csv', 'tsv', 'json', 'jsonl', 'ndjson', 'geojson', 'ipynb',
];
export const KNOWLEDGE_ACCEPT = [...DOC_EXTENSIONS, ...Object.keys(CODE_LANGUAGES)].map((e) => `.${e}`).join(',');

const HTML = new Set(['html', 'htm', 'xhtml']);

/**
 * What goes to the worker for each file: HTML is read here (workers have no DOMParser) and sent
 * as markdown text under its own name; every other file goes as it is. An HTML file refused by
 * its size alone (empty, over the limit) goes as it is too, unread: the worker says why.
 */
export async function prepareFiles(files: readonly File[]): Promise<Array<File | TextFile>> {
  return Promise.all(
    files.map(async (f): Promise<File | TextFile> => {
      if (!HTML.has(extensionOf(f.name)) || precheck(f)) return f;
      return { name: f.name, text: extractHtml(await f.text()), mime: 'text/markdown' };
    }),
  );
}

/** The port the helpers below need: the knowledge client's addFiles. */
export type AddFiles = (target: AddTarget, files: Array<File | TextFile>) => Promise<AddFileResult[]>;

/**
 * Adds files and returns the messages to show for those refused (one per file, naming it). A
 * failure of the whole call (the worker could not start) is one message too.
 */
export async function addKnowledgeFiles(add: AddFiles, target: AddTarget, files: readonly File[]): Promise<{ added: string[]; refused: string[] }> {
  try {
    const results = await add(target, await prepareFiles(files));
    return {
      added: results.flatMap((r) => (r.ok ? [r.documentId] : [])),
      refused: results.flatMap((r) => (r.ok ? [] : [r.error.message.includes(r.name) ? r.error.message : `${r.name}: ${r.error.message}`])),
    };
  } catch (e) {
    return { added: [], refused: [`Could not add the files: ${toAppError(e).message}`] };
  }
}
