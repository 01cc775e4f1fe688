import { describeAccessPolicyOf } from '@pm/testing';

describeAccessPolicyOf('billing', __dirname);
