import type { Challenge } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { CHALLENGE_OUTPUT_NOTICE } from './challengeOutput';

export const get = recordOperation<Challenge>({
	value: 'get',
	name: 'Get',
	action: 'Get a 3DS challenge',
	description: 'Get a 3DS challenge and its one-time code by ID',
	notice: CHALLENGE_OUTPUT_NOTICE,
	route: 'getChallenge',
	id: {
		parameter: 'challengeId',
		displayName: 'Challenge ID',
		placeholder: '3ds_m4n5o6p7',
		description: 'Choose the 3DS challenge',
		searchListMethod: 'searchChallenges',
	},
});
