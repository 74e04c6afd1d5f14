using System.Text.Json.Serialization;
using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Costs;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Returnees;

namespace ReturnOps.Grains;

/// <summary>The one serializer setup of the domain: grain states and outbox payloads, enums as strings.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CountryState))]
[JsonSerializable(typeof(CountryDirectoryState))]
[JsonSerializable(typeof(ReadmissionAgreementsState))]
[JsonSerializable(typeof(ReturneeState))]
[JsonSerializable(typeof(FamilyGroupState))]
[JsonSerializable(typeof(ReadmissionRequestState))]
[JsonSerializable(typeof(IdentificationRequestState))]
[JsonSerializable(typeof(ReturnOperationState))]
[JsonSerializable(typeof(Booking))]
[JsonSerializable(typeof(OperationCostsState))]
[JsonSerializable(typeof(ReintegrationProvidersState))]
[JsonSerializable(typeof(ReintegrationReferralState))]
[JsonSerializable(typeof(EligibilityContext))]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(IncidentNotice))]
public sealed partial class GrainsJsonContext : JsonSerializerContext;
