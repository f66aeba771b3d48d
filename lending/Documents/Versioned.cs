namespace JisuDai.Lending.Documents;

/// <summary>
/// A document as read from a store, with the ETag that a later replace must present. A replace with a
/// stale ETag fails, so two writers can never silently overwrite each other's money state.
/// </summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Document">The document.</param>
/// <param name="ETag">The store's version tag for this exact revision.</param>
public sealed record Versioned<T>(T Document, string ETag) where T : ICustomerDocument;
