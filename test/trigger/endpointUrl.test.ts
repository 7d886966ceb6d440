import { comparableWebhookUrl } from '../../nodes/PrivCards/contract';

const URL_AS_REGISTERED = 'https://n8n.example.com/webhook/4f1c/webhook';

describe('comparing webhook URLs as the API may spell them', () => {
	it.each([
		['the host in capitals', 'https://N8N.Example.COM/webhook/4f1c/webhook'],
		['the default port', 'https://n8n.example.com:443/webhook/4f1c/webhook'],
		['a trailing slash', 'https://n8n.example.com/webhook/4f1c/webhook/'],
		['all three', 'HTTPS://N8N.EXAMPLE.COM:443/webhook/4f1c/webhook/'],
	])('treats %s as the same URL', (_, spelling) => {
		expect(comparableWebhookUrl(spelling)).toBe(comparableWebhookUrl(URL_AS_REGISTERED));
	});

	it.each([
		['another port', 'https://n8n.example.com:8443/webhook/4f1c/webhook'],
		['another scheme', 'http://n8n.example.com/webhook/4f1c/webhook'],
		['another path', 'https://n8n.example.com/webhook-test/4f1c/webhook'],
		['a path in other case', 'https://n8n.example.com/Webhook/4f1c/webhook'],
		['a query', 'https://n8n.example.com/webhook/4f1c/webhook?x=1'],
	])('keeps %s apart', (_, spelling) => {
		expect(comparableWebhookUrl(spelling)).not.toBe(comparableWebhookUrl(URL_AS_REGISTERED));
	});

	it('compares a URL that does not parse as written', () => {
		expect(comparableWebhookUrl('not a url/')).toBe('not a url/');
	});
});
