import type { CardDetails } from '../../contract';
import { apiRequest, maskPan } from '../../transport';
import { cardIdField, noticeFields } from '../common/fields';
import { readCardId } from '../common/input';
import { isToolCall } from '../common/tool';
import { defineOperation } from '../operation';

interface Input {
	cardId: string;
	/** Full number and CVV in the output: Include Sensitive Data, and as an AI tool also the option for agents. */
	unmasked: boolean;
}

export const getDetails = defineOperation<Input>({
	value: 'getDetails',
	name: 'Get Details',
	action: 'Get card details',
	description: 'Get the card number, CVV and expiry, masked unless you ask for them',
	properties: [
		...noticeFields(
			'PrivCards allows 30 Get Details calls a minute: the node waits out the limit instead of failing. The number is masked to BIN and last 4, and the CVV left out, unless Include Sensitive Data is on; used as an AI tool, also unless Give Full Card Data to AI Agents is on.',
		),
		cardIdField(),
		{
			displayName: 'Include Sensitive Data',
			name: 'includeSensitiveData',
			type: 'boolean',
			default: false,
			description:
				'Whether to output the full card number and CVV. They then sit in the execution data, visible to anyone who can see executions: only turn on where the next node needs them.',
		},
		{
			displayName: 'Give Full Card Data to AI Agents',
			name: 'includeSensitiveDataForAgents',
			type: 'boolean',
			default: false,
			displayOptions: { show: { includeSensitiveData: [true] } },
			description:
				'Whether an AI agent that calls this node as a tool gets the full card number and CVV too. Everything a tool returns goes to the language model (and its provider); a prompt-injected agent can pass it on. Off: a tool call gets the masked number and no CVV.',
		},
	],
	readInput(itemIndex) {
		const flag = (name: string): boolean => this.getNodeParameter(name, itemIndex, false) === true;
		const allowed = isToolCall(this) ? flag('includeSensitiveDataForAgents') : true;
		return {
			cardId: readCardId(this, itemIndex),
			unmasked: flag('includeSensitiveData') && allowed,
		};
	},
	async execute({ cardId, unmasked }, item) {
		const details = await apiRequest<CardDetails>(this, {
			route: 'getCardDetails',
			pathParameters: { cardId },
			itemIndex: item.itemIndex,
		});
		// The same keys either way: `cvv` null and `masked` true when the data is hidden.
		if (unmasked) return { ...details, masked: false };
		return {
			card_id: details.card_id,
			pan: maskPan(details.pan),
			cvv: null,
			exp_month: details.exp_month,
			exp_year: details.exp_year,
			masked: true,
		};
	},
});
