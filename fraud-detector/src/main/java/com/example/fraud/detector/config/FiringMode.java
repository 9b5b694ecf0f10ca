package com.example.fraud.detector.config;

/**
 * When a window's alert is emitted. Both modes flag exactly the same (account, window) pairs: amounts
 * are positive, so a running sum that has crossed the threshold stays over it.
 */
public enum FiringMode {
    /** On the transaction whose amount takes the window's sum over the threshold. */
    EARLY,
    /** When the watermark passes the window's end (window end + out-of-orderness in wall time). */
    WINDOW_CLOSE
}
