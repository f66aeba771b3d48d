namespace JisuDai.Lending.Documents;

/// <summary>Base of the errors a document store reports in domain terms rather than storage terms.</summary>
public abstract class DocumentStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A create found a document with the same id in the same customer's partition.</summary>
public sealed class DocumentAlreadyExistsException(string kind, string customerId, string id, Exception? inner = null)
    : DocumentStoreException($"{kind} '{id}' of customer '{customerId}' already exists.", inner);

/// <summary>A replace addressed a document that does not exist.</summary>
public sealed class DocumentNotFoundException(string kind, string customerId, string id, Exception? inner = null)
    : DocumentStoreException($"{kind} '{id}' of customer '{customerId}' does not exist.", inner);

/// <summary>A replace presented an ETag that is no longer current: another writer got there first.</summary>
public sealed class ConcurrencyConflictException(string kind, string customerId, string id, Exception? inner = null)
    : DocumentStoreException($"{kind} '{id}' of customer '{customerId}' was changed by someone else; read it again and retry.", inner);
