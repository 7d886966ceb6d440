import type { INodeProperties } from 'n8n-workflow';

import { PATH_PARAMETER_PREFIXES } from '../../contract';
import type { RouteName } from '../../contract';
import { apiRequest } from '../../transport';
import { defineOperation } from '../operation';
import type { Operation } from '../operation';
import { noticeFields } from './fields';
import { readId } from './input';
import { rawOutput } from './outputShape';
import type { OutputShape } from './outputShape';

/** A record's ID as a parameter; its name is the route's path parameter (`transactionId`, `challengeId`, …). */
type RecordIdParameter = Exclude<keyof typeof PATH_PARAMETER_PREFIXES, 'cardId'>;

export interface RecordId {
	parameter: RecordIdParameter;
	/** How the field is shown and named in errors, e.g. "Transaction". */
	displayName: string;
	placeholder: string;
	description: string;
	/** The listSearch method of its From List mode. */
	searchListMethod: string;
}

/** A record picker (From List, By ID); a plain ID string saved before it was a picker still reads the same. */
function recordIdField({
	parameter,
	displayName,
	placeholder,
	description,
	searchListMethod,
}: RecordId): INodeProperties {
	const prefix = PATH_PARAMETER_PREFIXES[parameter];
	return {
		displayName,
		name: parameter,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: `${description}, from the list or by its ID (${prefix}…)`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${placeholder}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `^${prefix}[A-Za-z0-9]+$`,
							errorMessage: `An ID is ${prefix} followed by letters and digits`,
						},
					},
				],
			},
		],
	};
}

interface RecordOperation<Response, Item extends object> {
	value: string;
	name: string;
	action: string;
	description: string;
	/** Details for the notice above the fields (see noticeFields). */
	notice?: string;
	route: RouteName;
	id: RecordId;
	output?: OutputShape<Item>;
	/** The output made of the API's answer and the ID asked for (default: the answer). */
	result?: (response: Response, id: string) => Item;
}

/** One request about one record given by its ID: get, delete. */
export function recordOperation<Response extends object, Item extends object = Response>({
	route,
	id,
	output = rawOutput<Item>(),
	result = (response) => response as unknown as Item,
	notice,
	...described
}: RecordOperation<Response, Item>): Operation {
	return defineOperation<{ id: string; present: (record: Item) => object }>({
		...described,
		properties: [...noticeFields(notice), recordIdField(id), ...output.properties],
		readInput(itemIndex) {
			return {
				id: readId(this, itemIndex, id.parameter, id.displayName, id.parameter),
				present: output.read(this, itemIndex),
			};
		},
		async execute({ id: recordId, present }, item) {
			const response = await apiRequest<Response>(this, {
				route,
				pathParameters: { [id.parameter]: recordId },
				itemIndex: item.itemIndex,
			});
			return present(result(response, recordId));
		},
	});
}
