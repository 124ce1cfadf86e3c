/** An export request refused, naming the field that says why (the API answers problem+json). */
export class ExportRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status: 403 | 404 | 409 | 422 = 422,
  ) {
    super(message);
  }
}
