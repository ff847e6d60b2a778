package io.ascall.payment.gateway;

/**
 * The gateway's decision on a charge.
 *
 * @param declineReason why the card was refused; null when approved
 */
public record GatewayResult(boolean approved, String declineReason) {

    public static GatewayResult approvedCharge() {
        return new GatewayResult(true, null);
    }

    public static GatewayResult declinedCharge(String reason) {
        return new GatewayResult(false, reason);
    }
}
