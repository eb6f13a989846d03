// Placeholder until the HIDDecoding issue lands; see issue 4.
