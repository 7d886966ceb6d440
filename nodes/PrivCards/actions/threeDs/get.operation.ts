import type { Challenge } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { CHALLENGE_OUTPUT_NOTE } from './challengeOutput';

export const get = recordOperation<Challenge>({
	value: 'get',
	name: 'Get',
	action: 'Get a 3DS challenge',
	description: `Get one 3DS challenge by its ID. ${CHALLENGE_OUTPUT_NOTE}.`,
	route: 'getChallenge',
	id: {
		parameter: 'challengeId',
		displayName: 'Challenge ID',
		placeholder: '3ds_m4n5o6p7',
		description: 'The ID of the 3DS challenge',
	},
});
