import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from './input';
import { isToolCall } from './tool';

/** How an operation's records become output items: its own parameters, read per item before any request. */
export interface OutputShape<Item> {
	properties: INodeProperties[];
	read(context: IExecuteFunctions, itemIndex: number): (record: Item) => object;
}

/** Records output as the API sends them. */
export function rawOutput<Item extends object>(): OutputShape<Item> {
	return { properties: [], read: () => (record) => record };
}

/** The record's own keys among `fields`, in the record's order. */
function pick(record: object, fields: string[]): object {
	return Object.fromEntries(Object.entries(record).filter(([key]) => fields.includes(key)));
}

/**
 * n8n's two switches for what a record becomes. In a workflow: "Simplify" (`simple`, on by default). As an AI tool,
 * where every key returned goes into the model's context: "Output" (`output`: Simplified by default, Raw, or Selected
 * Fields of the API's record).
 */
export function simplifyOutput<Item extends object>(
	simplify: (record: Item) => object,
	fields: readonly string[],
): OutputShape<Item> {
	return {
		properties: [
			{
				displayName: 'Simplify',
				name: 'simple',
				type: 'boolean',
				default: true,
				displayOptions: { show: { '@tool': [false] } },
				description:
					'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'simple',
				displayOptions: { show: { '@tool': [true] } },
				options: [
					{
						name: 'Simplified',
						value: 'simple',
						description: 'Return the most useful fields, to keep the agent’s context small',
					},
					{ name: 'Raw', value: 'raw', description: 'Return every field the API sends' },
					{
						name: 'Selected Fields',
						value: 'fields',
						description: 'Return only the fields chosen below',
					},
				],
			},
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'multiOptions',
				default: [],
				displayOptions: { show: { '@tool': [true], output: ['fields'] } },
				options: fields.map((field) => ({ name: field, value: field })),
				description: 'Choose the fields of the API’s record to return',
			},
		],
		read(context, itemIndex) {
			if (!isToolCall(context)) {
				const simple = context.getNodeParameter('simple', itemIndex, true) as unknown;
				return simple === false || simple === 'false' ? (record) => record : simplify;
			}
			const output = context.getNodeParameter('output', itemIndex, 'simple') as string;
			if (output === 'raw') return (record) => record;
			if (output !== 'fields') return simplify;
			const chosen = context.getNodeParameter('fields', itemIndex, []) as unknown;
			const list = Array.isArray(chosen) ? chosen.map(String) : [];
			const unknown = list.filter((field) => !fields.includes(field));
			if (list.length === 0 || unknown.length > 0) {
				throw invalidInput(
					context,
					itemIndex,
					'Fields',
					list.length === 0
						? 'must name at least one field when Output is Selected Fields'
						: `has fields the record does not have: ${unknown.join(', ')}`,
				);
			}
			return (record) => pick(record, list);
		},
	};
}

/**
 * A flat record's output: Simplified keeps `simple` (at most ten keys, per n8n's convention); `keys` lists every key
 * of the record (a Record over its type, so the compiler keeps it in step with the contract) for Selected Fields.
 */
export function pickedOutput<Item extends object>(
	keys: Record<keyof Item, true>,
	simple: (keyof Item & string)[],
): OutputShape<Item> {
	return simplifyOutput<Item>((record) => pick(record, simple), Object.keys(keys));
}
