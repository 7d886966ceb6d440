import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class PrivCardsApi implements ICredentialType {
	name = 'privCardsApi';

	displayName = 'PrivCards API';

	icon: Icon = { light: 'file:../icons/privcards.svg', dark: 'file:../icons/privcards.dark.svg' };

	documentationUrl = 'https://github.com/privcards/n8n-nodes-privcards#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk_live_… or sk_test_…',
			description:
				'From the PrivCards dashboard: Settings → API Keys. Keys starting sk_live_ move real money; sk_test_ keys use the sandbox.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.privcards.com/v1',
			description:
				'Leave as is to use PrivCards. Change it only to go through a proxy, or to test against a PrivCards emulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/wallet',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API key was refused. It must start with sk_live_ or sk_test_ and be active in the PrivCards dashboard.',
				},
			},
		],
	};
}
