import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

export interface LoggingOptions {
  serviceName: string;
  level: string;
  /** Where the lines go; standard output unless a test reads them. */
  destination?: DestinationStream;
}

/**
 * Paths never logged: credentials and anything that could carry patient data. Request and
 * response bodies are not serialized at all; these catch objects logged by hand.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  // Why a restricted medical record is read in an emergency: patient data.
  'req.headers["x-access-reason"]',
  'res.headers["set-cookie"]',
  // `*.x` matches one level down only; the bare names catch an object logged flat.
  ...['password', 'token', 'refreshToken', 'name', 'email', 'address', 'dateOfBirth'].flatMap((key) => [key, `*.${key}`]),
];

const to = (destination: DestinationStream | undefined, options: Options): Options | [Options, DestinationStream] =>
  destination ? [options, destination] : options;

const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)$/;

/** JSON logs (pino) with the service name and the request id on every line. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: to(options.destination, {
            level: options.level,
            base: { service: options.serviceName },
            messageKey: 'message',
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const id = requestIdFrom(req);
              res.setHeader(REQUEST_ID_HEADER, id);
              return id;
            },
            // Log lines inside a request carry only its id, not the whole request again.
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'requestId' },
            autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test((req.url ?? '').split('?')[0]) },
            serializers: {
              // Method, path without the query string (it can hold search terms) and status only.
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                path: (req.url ?? '').split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
