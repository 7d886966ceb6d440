import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { buildProperties } from './actions/resources';
import { runItems } from './actions/runItems';
import { getBins } from './methods/loadOptions';
import {
	searchCards,
	searchChallenges,
	searchTransactions,
	searchWebhooks,
} from './methods/listSearch';

export class PrivCards implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PrivCards',
		name: 'privCards',
		icon: { light: 'file:../../icons/privcards.svg', dark: 'file:../../icons/privcards.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Issue, fund, freeze and manage PrivCards virtual cards; read transactions, wallet, BINs and 3DS codes; manage webhooks',
		defaults: { name: 'PrivCards' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'privCardsApi', required: true }],
		properties: buildProperties(),
	};

	methods = {
		loadOptions: { getBins },
		listSearch: { searchCards, searchChallenges, searchTransactions, searchWebhooks },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems.call(this);
	}
}
