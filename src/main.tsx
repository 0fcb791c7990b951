import { render } from 'solid-js/web';
import { App } from './ui/App';
import { openDb } from './core/storage/db';
import { startEngine } from './ui/engine-client';
import { chatIdFromLocation } from './ui/stores/route';
import { PEEK_ROWS, startPeek } from './ui/stores/chat-peek';
import { applyMirroredTheme, restoreTheme } from './ui/theme';
import './ui/styles.css';

// Before anything renders, so the first paint already has the user's palette.
applyMirroredTheme();

const root = document.getElementById('root');
if (root) {
  const db = openDb();
  void restoreTheme(db);
  // A chat opened by its address: its first rows are read while the interface is built.
  startPeek(db, chatIdFromLocation(location.pathname, location.hash), PEEK_ROWS);
  const engine = startEngine();
  render(() => <App db={db} engine={engine} />, root);
}
