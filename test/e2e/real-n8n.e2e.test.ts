// The end-to-end suite (./real-n8n.suite.ts) against the default n8n, the 2.x line.
import { N8N_VERSION } from '../../real-n8n/install';
import { describeRealN8n } from './real-n8n.suite';

describeRealN8n(N8N_VERSION);
