import { createHmac } from 'node:crypto';

import { WEBHOOK_SECRET_PREFIX } from '../contract';

/** Versioned so that a future change of the derivation can never collide with secrets registered before it. */
const DERIVATION_LABEL = 'n8n-nodes-privcards trigger signing secret v1';

/**
 * The signing secret the trigger registers for its webhook URL: HMAC-SHA256 keyed with the credential's API key
 * over the URL. Any process holding the credential computes it again, so verification never depends on workflow
 * static data, which n8n may lose or overwrite (last writer wins). It reveals nothing about the API key, and whoever
 * holds the key can manage webhooks anyway. Rotating the API key rotates every trigger's secret at its next
 * activation.
 */
export function deriveSigningSecret(apiKey: string, webhookUrl: string): string {
	const digest = createHmac('sha256', Buffer.from(apiKey, 'utf8'))
		.update(`${DERIVATION_LABEL}\n${webhookUrl}`)
		.digest('hex');
	return `${WEBHOOK_SECRET_PREFIX}${digest}`;
}
