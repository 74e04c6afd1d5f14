namespace ReturnOps.PartnerSimulator;

/// <summary>How the simulated partner answers a correctly signed delivery.</summary>
public enum PartnerBehaviour
{
    /// <summary>Applies the message (once per id) and answers 200.</summary>
    Ok,

    /// <summary>Answers 500 without applying.</summary>
    Fail,

    /// <summary>Holds the request until released or abandoned by the sender; applies nothing.</summary>
    Hang,

    /// <summary>Waits <see cref="Partner.Slowness"/>, then behaves as <see cref="Ok"/>.</summary>
    Slow,

    /// <summary>Applies the message, then answers 500: the sender never learns it arrived.</summary>
    LostAck,
}

/// <summary>A delivery that passed the signature check, with its parsed envelope.</summary>
public sealed record ReceivedDelivery(string MessageId, string Type, string Data, PartnerBehaviour Answer);
