import { CHALLENGE_STATUSES } from '../../contract';
import type { Challenge } from '../../contract';
import { cardFilter, choiceFilter } from '../common/filters';
import { listOperation } from '../common/listOperation';
import { CHALLENGE_OUTPUT_NOTE } from './challengeOutput';

export const getMany = listOperation<Challenge>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many 3DS challenges',
	description: `List 3DS challenges, newest first, optionally for one card or in one state (pending ones carry the code to enter now). ${CHALLENGE_OUTPUT_NOTE}.`,
	route: 'listChallenges',
	filters: [
		cardFilter('Only challenges of this card'),
		choiceFilter({
			name: 'status',
			displayName: 'Status',
			queryName: 'status',
			values: CHALLENGE_STATUSES,
			description: 'Only challenges in this state. Pending: waiting for the one-time code.',
		}),
	],
});
