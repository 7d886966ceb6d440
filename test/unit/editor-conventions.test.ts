/** The conventions n8n's own nodes follow in the editor, checked on the node descriptions users see. */
import { Workflow } from 'n8n-workflow';
import type { INode, INodeProperties, INodePropertyOptions, INodeTypes } from 'n8n-workflow';

import { PrivCardsApi } from '../../credentials/PrivCardsApi.credentials';
import { EVENT_TYPES } from '../../nodes/PrivCards/contract';
import { PrivCards } from '../../nodes/PrivCards/PrivCards.node';
import { PrivCardsPollTrigger } from '../../nodes/PrivCards/PrivCardsPollTrigger.node';
import { PrivCardsTrigger } from '../../nodes/PrivCards/PrivCardsTrigger.node';

const action = new PrivCards().description.properties;
const trigger = new PrivCardsTrigger().description.properties;
const pollTrigger = new PrivCardsPollTrigger().description.properties;

/** The words operation descriptions start with: what the operation does. */
const VERBS = [
	'Close',
	'Create',
	'Delete',
	'Freeze',
	'Fund',
	'Get',
	'Issue',
	'List',
	'Move',
	'Re-enable',
	'Register',
	'Suspend',
	'Terminate',
	'Top',
	'Unfreeze',
];
/** A parameter's tooltip: one sentence. */
const ONE_SENTENCE_CHARS = 100;
const TOOLTIP_CHARS = 200;
/** Tooltips that warn about card data or lost events: kept whole on purpose. */
const LONG_ON_PURPOSE = ['includeSensitiveDataForAgents', 'toleranceMinutes'];

/** What the Operation dropdown shows in its two lines. */
const DROPDOWN_DESCRIPTION_CHARS = 80;

const names = (options: INodeProperties['options']) =>
	(options as INodePropertyOptions[]).map((option) => option.name);
const sorted = (list: string[]) => [...list].sort((a, b) => a.localeCompare(b, 'en'));

function everyProperty(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...everyProperty(
			(property.options ?? []).filter(
				(option): option is INodeProperties => 'displayName' in option,
			),
		),
	]);
}

describe('the action node in the editor', () => {
	const resourcePicker = action.find((property) => property.name === 'resource') as INodeProperties;
	const operationPickers = action.filter((property) => property.name === 'operation');

	it('lists resources and each resource’s operations alphabetically, values and defaults as saved before', () => {
		expect(names(resourcePicker.options)).toEqual(sorted(names(resourcePicker.options)));
		expect(names(resourcePicker.options)[0]).toBe('3DS Challenge');
		expect(resourcePicker.default).toBe('card');
		for (const picker of operationPickers) {
			expect(names(picker.options)).toEqual(sorted(names(picker.options)));
		}
		const card = operationPickers.find(
			(picker) => picker.displayOptions?.show?.resource?.[0] === 'card',
		);
		expect(names(card?.options)).toEqual([
			'Create',
			'Freeze',
			'Get',
			'Get Details',
			'Get Many',
			'Terminate',
			'Unfreeze',
		]);
		expect(card?.default).toBe('getMany');
	});

	it('keeps every resource and operation description short enough for the dropdown', () => {
		const options = [resourcePicker, ...operationPickers].flatMap(
			(picker) => picker.options as INodePropertyOptions[],
		);
		const tooLong = options.filter(
			(option) => (option.description ?? '').length > DROPDOWN_DESCRIPTION_CHARS,
		);
		expect(tooLong.map((option) => `${option.name}: ${option.description}`)).toEqual([]);
	});

	it('keeps the details that left the dropdown in notices that end with a full stop', () => {
		const notices = action.filter((property) => property.type === 'notice');
		const shown = (resource: string, operation: string) =>
			notices.find(
				(notice) =>
					notice.displayOptions?.show?.resource?.includes(resource) &&
					notice.displayOptions?.show?.operation?.includes(operation),
			)?.displayName;
		expect(shown('card', 'getDetails')).toMatch(/30 Get Details calls a minute/);
		expect(shown('funding', 'topUp')).toMatch(/no funding request/);
		expect(shown('card', 'terminate')).toMatch(/cannot be undone/);
		expect(shown('webhook', 'create')).toMatch(/PrivCards Trigger/);
		for (const notice of notices) expect(notice.displayName).toMatch(/\.$/);
	});

	it('starts money fields at 0 (a figure the user must set), and sorts and names every collection the n8n way', () => {
		const money = everyProperty(action).filter((property) =>
			['amount', 'targetBalance'].includes(property.name),
		);
		expect(money.length).toBeGreaterThanOrEqual(4);
		for (const field of money) expect(field.default).toBe(0);
		const collections = everyProperty([...action, ...trigger]).filter(
			(property) => property.type === 'collection',
		);
		for (const collection of collections) {
			expect(collection.placeholder).toMatch(/^Add( [A-Z][a-z]+)+$/);
			const optionNames = (collection.options as INodeProperties[]).map(
				(option) => option.displayName,
			);
			expect(optionNames).toEqual(sorted(optionNames));
		}
	});

	it('writes descriptions as n8n does: verb first in the dropdowns, full stops only after several sentences, short tooltips', () => {
		const dropdowns = [resourcePicker, ...operationPickers].flatMap(
			(picker) => picker.options as INodePropertyOptions[],
		);
		const notVerbFirst = operationPickers
			.flatMap((picker) => picker.options as INodePropertyOptions[])
			.filter((option) => !VERBS.includes((option.description ?? '').split(' ')[0]));
		expect(notVerbFirst.map((option) => option.description)).toEqual([]);
		expect(dropdowns.length).toBeGreaterThan(20);

		const fields = everyProperty([...action, ...trigger, ...pollTrigger]).filter(
			(property) => property.type !== 'notice' && property.description !== undefined,
		);
		const badStops = fields.filter((field) => {
			const text = (field.description ?? '').replace(/<a [^>]*>[^<]*<\/a>/g, 'link');
			const sentences = text.split(/[.;:] (?=[A-Z])/).length;
			return sentences === 1 ? text.endsWith('.') : !text.endsWith('.');
		});
		expect(badStops.map((field) => `${field.name}: ${field.description}`)).toEqual([]);

		const tooLong = fields.filter(
			(field) =>
				(field.description ?? '').length > TOOLTIP_CHARS && !LONG_ON_PURPOSE.includes(field.name),
		);
		expect(tooLong.map((field) => `${field.name}: ${field.description}`)).toEqual([]);
		for (const name of ['idempotencyKey', 'concurrency', 'rateLimitWait', 'maxAmount']) {
			const field = fields.find((candidate) => candidate.name === name);
			expect(field).toBeDefined();
			expect((field?.description ?? '').length).toBeLessThanOrEqual(ONE_SENTENCE_CHARS);
			expect(field?.description).not.toMatch(/\. /);
		}
	});

	it('gives every placeholder of a value an example that starts with "e.g."', () => {
		const everyPlaceholder = everyProperty(action).flatMap((property) => [
			...(['collection', 'fixedCollection'].includes(property.type) ? [] : [property.placeholder]),
			...(property.modes ?? []).map((mode) => mode.placeholder),
		]);
		const values = everyPlaceholder.filter((text): text is string => text !== undefined);
		expect(values.length).toBeGreaterThanOrEqual(6);
		expect(values.filter((text) => !text.startsWith('e.g. '))).toEqual([]);
	});

	it('offers pickers (From List, By ID) for card, transaction, 3DS challenge and webhook IDs', () => {
		for (const name of ['cardId', 'transactionId', 'challengeId', 'webhookId']) {
			const field = action.find((property) => property.name === name);
			expect([name, field?.type, field?.modes?.map((mode) => mode.name)]).toEqual([
				name,
				'resourceLocator',
				['list', 'id'],
			]);
		}
	});
});

describe('the trigger in the editor', () => {
	const events = trigger.find((property) => property.name === 'events') as INodeProperties;
	const options = events.options as INodePropertyOptions[];

	it('names events readably, sorted after All Events, with the API’s event types as values', () => {
		expect(options[0]).toMatchObject({ name: 'All Events', value: '*' });
		const rest = options.slice(1);
		expect(rest.map((option) => option.name)).toEqual(sorted(rest.map((option) => option.name)));
		expect(rest.map((option) => option.value).sort()).toEqual([...EVENT_TYPES].sort());
		expect(rest.find((option) => option.value === 'transaction.declined')?.name).toBe(
			'Transaction Declined',
		);
		expect(rest.find((option) => option.value === '3ds.challenge')?.name).toBe('3DS Challenge');
		for (const option of rest) expect(option.name).toMatch(/^[0-9A-Z][A-Za-z0-9]* [A-Z][a-z]+$/);
		// What the node creator lists as the trigger's actions.
		expect(rest.find((option) => option.value === '3ds.challenge')?.action).toBe(
			'On 3DS challenge',
		);
		expect(rest.find((option) => option.value === 'transaction.declined')?.action).toBe(
			'On transaction declined',
		);
	});

	it('shows the chosen events on the canvas by their names, not their raw types', () => {
		for (const type of [new PrivCardsTrigger(), new PrivCardsPollTrigger()]) {
			const nodeTypes = {
				getByName: () => type,
				getByNameAndVersion: () => type,
				getKnownTypes: () => ({}),
			} as unknown as INodeTypes;
			const subtitle = (events: string[]) => {
				const node: INode = {
					id: '1',
					name: 'Trigger',
					type: `n8n-nodes-privcards.${type.description.name}`,
					typeVersion: 1,
					position: [0, 0],
					parameters: { events },
				};
				const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
				return workflow.expression.getSimpleParameterValue(
					node,
					type.description.subtitle as string,
					'internal',
					{},
				);
			};
			expect(subtitle(['transaction.declined', 'card.created'])).toBe(
				'Transaction Declined, Card Created',
			);
			expect(subtitle(['*'])).toBe('All Events');
		}
	});

	it('has a notice true for the real API and the emulator, as a sentence', () => {
		const notice = trigger.find((property) => property.type === 'notice');
		expect(notice?.displayName).toMatch(/HTTPS/);
		expect(notice?.displayName).toMatch(/emulator/);
		expect(notice?.displayName).toMatch(/\.$/);
	});
});

describe('the credential', () => {
	it('speaks to users of the published package: no repository scripts in its hints', () => {
		for (const property of new PrivCardsApi().properties) {
			expect(`${property.displayName}: ${property.description ?? ''}`).not.toMatch(
				/npm run|sandbox\)/,
			);
		}
	});
});
