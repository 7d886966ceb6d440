import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { bin } from './bin';
import { card } from './card';
import { withRunOptions } from './common/fields';
import { funding } from './funding';
import type { Operation, ResourceDefinition } from './operation';
import { threeDs } from './threeDs';
import { transaction } from './transaction';
import { wallet } from './wallet';
import { webhook } from './webhook';

/** Every resource of the action node (the node shows them sorted by name). */
export const RESOURCES: ResourceDefinition[] = [
	card,
	funding,
	transaction,
	wallet,
	bin,
	threeDs,
	webhook,
];

export function findOperation(resource: string, operation: string): Operation | undefined {
	return RESOURCES.find((candidate) => candidate.value === resource)?.operations.find(
		(candidate) => candidate.value === operation,
	);
}

/** Options as n8n's own nodes list them: alphabetically by the name shown (values, and so saved workflows, unchanged). */
function byName<Option extends { name: string }>(options: Option[]): Option[] {
	return [...options].sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** The node's parameters: the resource picker, then each resource's operation picker and fields. */
export function buildProperties(): INodeProperties[] {
	const resourcePicker: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: byName(
			RESOURCES.map(({ name, value, description }) => ({ name, value, description })),
		),
		default: 'card',
	};
	const perResource = RESOURCES.flatMap((resource) => {
		const defaultOperation = resource.defaultOperation.value;
		const operationPicker: INodeProperties = {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: byName(
				resource.operations.map(({ name, value, action, description }) => ({
					name,
					value,
					action,
					description,
				})),
			),
			default: defaultOperation,
		};
		const fields = resource.operations.flatMap((operation) =>
			updateDisplayOptions(
				{ show: { resource: [resource.value], operation: [operation.value] } },
				withRunOptions(operation.properties, { concurrency: operation.itemsOneAtATime !== true }),
			),
		);
		return [operationPicker, ...fields];
	});
	return [resourcePicker, ...perResource];
}
