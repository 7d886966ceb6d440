// Tooling that never runs inside n8n: see ../eslint.tooling.mjs.
export { default } from '../eslint.tooling.mjs';
