namespace ReturnOps.Client.Webhooks;

/// <summary>What a receiver decided about a delivery before looking at its content.</summary>
public enum WebhookCheck
{
    /// <summary>Signed with one of the receiver's secrets, within the tolerance: store it (de-duplicated by message id).</summary>
    Valid,

    /// <summary>A signature or timestamp header is missing or malformed.</summary>
    MissingHeaders,

    /// <summary>The timestamp is too far from the receiver's clock: possibly a replay.</summary>
    StaleTimestamp,

    /// <summary>No secret of the receiver gives this signature: not from the platform, or the body was changed.</summary>
    BadSignature,
}
