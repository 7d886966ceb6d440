import type { IDataObject } from 'n8n-workflow';

import { CARD_LIMITS } from '../../contract';
import type { Card, CreateCardBody } from '../../contract';
import { apiRequest } from '../../transport';
import { amountField, idempotencyOptions } from '../common/fields';
import { invalidInput, readAmount, readBinId, readCollection, readMoney } from '../common/input';
import { defineOperation } from '../operation';

function readCategories(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((category) => String(category).trim()).filter((category) => category !== '');
}

function metadataPairs(value: unknown): Array<[string, string]> {
	const pairs = ((value as IDataObject | undefined)?.pair ?? []) as Array<{
		key?: unknown;
		value?: unknown;
	}>;
	return pairs.map((pair) => [String(pair.key ?? '').trim(), String(pair.value ?? '')]);
}

export const create = defineOperation<CreateCardBody>({
	value: 'create',
	name: 'Create',
	action: 'Create a card',
	description: 'Issue a virtual card on a BIN, funded from the wallet',
	movesMoney: true,
	properties: [
		{
			displayName: 'BIN Name or ID',
			name: 'binId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getBins' },
			required: true,
			default: '',
			description:
				'The BIN (card range) to issue on, e.g. 491653. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		amountField('Initial balance, debited from the wallet.'),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Allowed Categories',
					name: 'allowedCategories',
					type: 'string',
					default: '',
					placeholder: 'e.g. advertising, software',
					description: 'Comma-separated merchant categories the card may pay; empty allows all',
				},
				{
					displayName: 'Auto-Freeze Below (USD)',
					name: 'autoFreezeAt',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0, numberPrecision: 2 },
					description: 'Freeze the card automatically when its balance drops below this amount',
				},
				{
					displayName: 'Label',
					name: 'label',
					type: 'string',
					default: '',
					description: `A name for the card, at most ${CARD_LIMITS.labelMaxLength} characters`,
				},
				{
					displayName: 'Metadata',
					name: 'metadata',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					placeholder: 'Add Metadata',
					description: `Key-value pairs for your own tracking, at most ${CARD_LIMITS.metadataMaxKeys}`,
					options: [
						{
							displayName: 'Pair',
							name: 'pair',
							values: [
								{ displayName: 'Key', name: 'key', type: 'string', default: '' },
								{ displayName: 'Value', name: 'value', type: 'string', default: '' },
							],
						},
					],
				},
				{
					displayName: 'Spending Limit (USD)',
					name: 'spendingLimit',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0, numberPrecision: 2 },
					description: "Monthly spending limit. Leave unset for the BIN's maximum.",
				},
			],
		},
		idempotencyOptions,
	],
	readInput(itemIndex) {
		const binId = readBinId(this, itemIndex, this.getNodeParameter('binId', itemIndex, ''), 'BIN');
		const body: CreateCardBody = { bin_id: binId, amount: readAmount(this, itemIndex) };
		const fields = readCollection(this, itemIndex, 'additionalFields');
		if (fields.label !== undefined && String(fields.label).trim() !== '') {
			const label = String(fields.label).trim();
			if (label.length > CARD_LIMITS.labelMaxLength) {
				throw invalidInput(
					this,
					itemIndex,
					'Label',
					`must be at most ${CARD_LIMITS.labelMaxLength} characters`,
				);
			}
			body.label = label;
		}
		if (fields.spendingLimit !== undefined) {
			body.spending_limit = readMoney(
				this,
				itemIndex,
				'additionalFields.spendingLimit',
				'Spending Limit',
				{ min: 0.01 },
			);
		}
		if (fields.autoFreezeAt !== undefined) {
			body.auto_freeze_at = readMoney(
				this,
				itemIndex,
				'additionalFields.autoFreezeAt',
				'Auto-Freeze Below',
				{ min: 0 },
			);
		}
		if (fields.allowedCategories !== undefined) {
			const categories = readCategories(fields.allowedCategories);
			if (categories.length > 0) body.allowed_categories = categories;
		}
		if (fields.metadata !== undefined) {
			const pairs = metadataPairs(fields.metadata);
			if (pairs.length > CARD_LIMITS.metadataMaxKeys) {
				throw invalidInput(
					this,
					itemIndex,
					'Metadata',
					`may have at most ${CARD_LIMITS.metadataMaxKeys} keys`,
				);
			}
			const metadata: Record<string, string> = {};
			for (const [key, value] of pairs) {
				if (key === '' || key.length > CARD_LIMITS.metadataKeyMaxLength) {
					throw invalidInput(
						this,
						itemIndex,
						'Metadata',
						`keys must be 1 to ${CARD_LIMITS.metadataKeyMaxLength} characters`,
					);
				}
				// A second pair with the same key would silently overwrite the first: the user meant two values.
				if (Object.prototype.hasOwnProperty.call(metadata, key)) {
					throw invalidInput(this, itemIndex, 'Metadata', `has the key "${key}" more than once`);
				}
				if (value.length > CARD_LIMITS.metadataValueMaxLength) {
					throw invalidInput(
						this,
						itemIndex,
						'Metadata',
						`value of "${key}" must be at most ${CARD_LIMITS.metadataValueMaxLength} characters`,
					);
				}
				metadata[key] = value;
			}
			if (pairs.length > 0) body.metadata = metadata;
		}
		return body;
	},
	async execute(body, item) {
		return await apiRequest<Card>(this, {
			route: 'createCard',
			body: { ...body },
			idempotencyKey: item.idempotencyKey(),
			itemIndex: item.itemIndex,
		});
	},
});
