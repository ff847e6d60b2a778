package io.ascall.engineer.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.UniqueElements;

import io.ascall.events.ApplianceType;
import io.ascall.security.Caller;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An engineer's registration ({@code POST /engineers}), by an operator.
 *
 * @param accountId the engineer's user id at the identity provider, the subject ({@code sub}) of
 *     their tokens: 1 to 64 visible ASCII characters, as {@link Caller#subject()} accepts them (a
 *     longer or stranger id could never sign in); one engineer per account
 * @param name   1 to 100 characters
 * @param region where the engineer works, 1 to 64 characters; calls are offered within a region
 * @param skills the appliance types the engineer repairs: at least one, each once
 */
@Schema(description = "An engineer's registration")
public record EngineerRequest(
        @Schema(
                description = "The engineer's user id at the identity provider (the `sub` of their tokens):"
                        + " 1 to 64 visible ASCII characters. One engineer per account: another registration"
                        + " for it is a 409",
                minLength = 1,
                maxLength = Caller.MAX_SUBJECT_LENGTH,
                pattern = ACCOUNT_PATTERN)
        @NotNull
        @Size(min = 1, max = Caller.MAX_SUBJECT_LENGTH)
        @Pattern(regexp = "[\\x21-\\x7E]*", message = "must hold visible ASCII characters only, no spaces")
        String accountId,

        @Schema(description = "1 to 100 characters, not all blank") @NotBlank @Size(max = 100)
        String name,

        @Schema(
                description = "Where the engineer works, 1 to 64 characters, not all blank; calls are offered"
                        + " within a region")
        @NotBlank
        @Size(max = 64)
        String region,

        @Schema(description = "The appliance types the engineer repairs: at least one, each once", uniqueItems = true)
        @NotNull
        @Size(min = 1, max = 9)
        @UniqueElements
        List<@NotNull ApplianceType> skills) {

    /** An account id as the OpenAPI document gives it; the length is {@link Caller#MAX_SUBJECT_LENGTH}. */
    static final String ACCOUNT_PATTERN = "^[\\x21-\\x7E]+$";
}
