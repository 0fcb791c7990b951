import { render } from 'solid-js/web';
import { App } from './ui/App';
import { openDb } from './core/storage/db';
import { startEngine } from './ui/engine-client';
import { applyMirroredTheme, restoreTheme } from './ui/theme';
import './ui/styles.css';

// Before anything renders, so the first paint already has the user's palette.
applyMirroredTheme();

const root = document.getElementById('root');
if (root) {
  const db = openDb();
  void restoreTheme(db);
  const engine = startEngine();
  render(() => <App db={db} engine={engine} />, root);
}
