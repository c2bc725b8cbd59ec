/**
 * The renderer's entry: picks the transport (IPC or browser-mode bridge) and mounts the app.
 * @module
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { MissingToken } from './pages/MissingToken.js';
import { pickTransport } from './transport/pick.js';
import './styles.css';

const transport = pickTransport();
const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{transport ? <App transport={transport} /> : <MissingToken />}</StrictMode>);
