package com.example.fraud.rules;

/**
 * When a window's alert is emitted. For tumbling windows. Both modes flag exactly the same (key, window) pairs: amounts
 * are positive, so an aggregate that has crossed its limit stays over it.
 */
public enum FiringMode {
    /** On the transaction whose amount takes the window's sum over the threshold. */
    EARLY,
    /** When the watermark passes the window's end (window end + out-of-orderness in wall time). */
    WINDOW_CLOSE
}
