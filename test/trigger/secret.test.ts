import { TEST_KEY_PREFIX } from '../../nodes/PrivCards/contract';
import { deriveSigningSecret, secretFingerprint } from '../../nodes/PrivCards/trigger';
import type { SigningIdentity } from '../../nodes/PrivCards/trigger';

const KEY = `${TEST_KEY_PREFIX}secretDerivation01`;
const IDENTITY: SigningIdentity = { workflowId: 'wf1', webhookId: 'hook1', kind: 'production' };

describe('the derived signing secret', () => {
	it('is the same for the same key and identity, whatever process computes it', () => {
		expect(deriveSigningSecret(KEY, { ...IDENTITY })).toBe(deriveSigningSecret(KEY, IDENTITY));
		expect(deriveSigningSecret(KEY, IDENTITY)).toMatch(/^whsec_[0-9a-f]{64}$/);
	});

	it.each<[string, string, SigningIdentity]>([
		['another API key', `${TEST_KEY_PREFIX}secretDerivation02`, IDENTITY],
		['the test listener', KEY, { ...IDENTITY, kind: 'test' }],
		['another workflow', KEY, { ...IDENTITY, workflowId: 'wf2' }],
		['another trigger node', KEY, { ...IDENTITY, webhookId: 'hook2' }],
	])('differs for %s', (_, apiKey, identity) => {
		expect(deriveSigningSecret(apiKey, identity)).not.toBe(deriveSigningSecret(KEY, IDENTITY));
	});

	it('has a short fingerprint that is not part of the secret', () => {
		const secret = deriveSigningSecret(KEY, IDENTITY);
		const fingerprint = secretFingerprint(secret);
		expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
		expect(secret).not.toContain(fingerprint);
		expect(secretFingerprint(deriveSigningSecret(KEY, { ...IDENTITY, kind: 'test' }))).not.toBe(
			fingerprint,
		);
	});
});
