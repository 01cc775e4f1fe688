import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The one way to run a transaction in every app: a service opens it with `Transactions.run` and
 * passes the `Transaction` to each repository method that must join it (as the last parameter).
 * Repositories never open transactions themselves, so which writes commit together is visible in
 * the service that decides it.
 */
export type Transaction = EntityManager;

@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one READ COMMITTED transaction: committed when it resolves, rolled back when it throws. */
  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
