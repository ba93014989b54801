// The emulator stores, patches and validates objects as `JSON` values (JSONModel), part of its API:
// re-exported, so every file here and every client of the emulator sees the type.
@_exported public import JSONModel
