// The end-to-end suite (./real-n8n.suite.ts) against the n8n 1.x line (1.123.x, on Node 24), installed as
// a user would. Where that install is impossible, PRIVCARDS_SKIP_N8N1=1 skips it, saying so; without it a
// failed install fails this suite with the reason.
import { N8N1_VERSION } from '../../real-n8n/install';
import { describeRealN8n } from './real-n8n.suite';

describeRealN8n(N8N1_VERSION, { skipVariable: 'PRIVCARDS_SKIP_N8N1' });
