import type { ResourceDefinition } from '../operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';

export const threeDs: ResourceDefinition = {
	value: 'threeDs',
	name: '3DS Challenge',
	description: '3D Secure challenges of card payments, with their one-time codes (OTP)',
	operations: [getMany, get],
	defaultOperation: getMany,
};
