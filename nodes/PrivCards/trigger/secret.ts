import { createHash, createHmac } from 'node:crypto';

import { WEBHOOK_SECRET_PREFIX } from '../contract';

/**
 * Versioned so that a change of the derivation can never collide with secrets registered before it. v1 (never
 * released) was keyed on the webhook URL, which a queue-mode process without WEBHOOK_URL builds differently.
 */
const DERIVATION_LABEL = 'n8n-nodes-privcards trigger signing secret v2';
const FINGERPRINT_LABEL = 'n8n-nodes-privcards signing secret fingerprint';

/** Which of the trigger's two registrations: the published workflow's, or the editor's "listen for test event". */
export type WebhookKind = 'production' | 'test';

/** What names one registration alike in every n8n process: nothing here depends on a URL or on process settings. */
export interface SigningIdentity {
	workflowId: string;
	/** The node's webhook ID (its node ID when it has none). */
	webhookId: string;
	kind: WebhookKind;
}

/**
 * The signing secret the trigger registers: HMAC-SHA256 keyed with the credential's API key over the workflow ID,
 * the node's webhook ID and the kind of registration. Any process holding the credential computes it again, so
 * verification needs no shared state and no agreement on URLs; it reveals nothing about the API key. A test listener
 * and the published workflow sign with different secrets. Changing the API key changes every secret: the old ones
 * stop verifying at the first delivery after the change.
 */
export function deriveSigningSecret(apiKey: string, identity: SigningIdentity): string {
	const digest = createHmac('sha256', Buffer.from(apiKey, 'utf8'))
		.update([DERIVATION_LABEL, identity.workflowId, identity.webhookId, identity.kind].join('\n'))
		.digest('hex');
	return `${WEBHOOK_SECRET_PREFIX}${digest}`;
}

/**
 * A one-way fingerprint of a secret, safe to keep in workflow static data (which anyone who can read the workflow
 * can read): it tells whether an endpoint was registered under the current API key, and cannot sign anything.
 */
export function secretFingerprint(secret: string): string {
	return createHash('sha256').update(`${FINGERPRINT_LABEL}\n${secret}`).digest('hex').slice(0, 16);
}
