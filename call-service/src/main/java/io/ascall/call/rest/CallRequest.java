package io.ascall.call.rest;

import io.ascall.call.service.NewCall;
import io.ascall.events.ApplianceType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A customer's request for a repair engineer ({@code POST /calls}). Whose call it is comes from
 * the bearer token, not from the body.
 */
public record CallRequest(
        @NotNull ApplianceType applianceType,
        @NotBlank @Size(max = 64) String region,
        @NotBlank @Size(max = 200) String address,
        @Size(max = 1000) String description) {

    public NewCall toNewCall(String customerId) {
        return new NewCall(customerId, applianceType, region, address, description);
    }
}
