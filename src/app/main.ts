// Page entry point: starts the service-worker bridge and mounts the Svelte UI.
import { mount } from 'svelte';
import App from '../ui/App.svelte';
import '../ui/theme.css';
import { ServiceWorkerUpdate } from './ServiceWorkerUpdate.svelte.ts';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html must contain an element with id "app"');

mount(App, { target, props: { update: new ServiceWorkerUpdate() } });
