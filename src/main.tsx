import { render } from 'solid-js/web';
import { App } from './ui/App';
import { openDb } from './core/storage/db';
import { startEngine } from './ui/engine-client';
import './ui/styles.css';

const root = document.getElementById('root');
if (root) {
  const db = openDb();
  const engine = startEngine();
  render(() => <App db={db} engine={engine} />, root);
}
