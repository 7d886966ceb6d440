/** The emulator's `/sandbox/...` deposit routes (sk_test_ keys only): crypto deposits arriving and confirming. */
import { randomBytes } from 'node:crypto';

import { toCents } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../sandbox-routes';
import { invalidRequest, invalidState } from '../api-error';
import { newId } from '../ids';
import { sandboxDepositBodySchema } from '../schemas';
import { DEPOSIT_ADDRESSES, USD_PER_UNIT } from '../seed';
import type { DepositRecord } from '../store';
import { depositView } from '../views';
import { created, defineRoute, ok, type RouteBinding } from './route';

const CRYPTO_DECIMALS = 8;

export const sandboxDepositRoutes: RouteBinding[] = [
	defineRoute({
		route: SANDBOX_ROUTES.createDeposit,
		body: sandboxDepositBodySchema,
		handle: ({ body, store, events }) => {
			const address = DEPOSIT_ADDRESSES.find((candidate) => candidate.currency === body.currency);
			const amountUsd = toCents(body.amount_usd);
			if (address !== undefined && amountUsd < toCents(address.min_deposit_usd)) {
				throw invalidRequest(
					`Invalid parameter "amount_usd": ${body.currency} deposits start at ${address.min_deposit_usd} USD.`,
					'amount_usd',
				);
			}
			const deposit: DepositRecord = {
				id: newId('deposit'),
				currency: body.currency,
				amount: Number((body.amount_usd / USD_PER_UNIT[body.currency]).toFixed(CRYPTO_DECIMALS)),
				amountUsd,
				status: 'pending',
				txHash: randomBytes(32).toString('hex'),
				createdAt: store.now(),
				confirmedAt: null,
			};
			store.deposits.set(deposit.id, deposit);
			events.emit('deposit.pending', depositView(deposit));
			return created(depositView(deposit));
		},
	}),
	defineRoute({
		route: SANDBOX_ROUTES.confirmDeposit,
		handle: ({ params, store, events }) => {
			const deposit = store.deposit(params.depositId);
			if (deposit.status === 'confirmed')
				throw invalidState(`Deposit "${deposit.id}" is already confirmed.`);
			deposit.status = 'confirmed';
			deposit.confirmedAt = store.now();
			store.walletBalance += deposit.amountUsd;
			store.totalDeposited += deposit.amountUsd;
			events.emit('deposit.confirmed', depositView(deposit));
			return ok(depositView(deposit));
		},
	}),
];
