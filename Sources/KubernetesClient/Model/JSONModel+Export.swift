// Fields the client carries without interpreting them (managed fields, patch bodies) are `JSON`
// values (JSONModel), part of this module's API: re-exported for its clients.
@_exported public import JSONModel
