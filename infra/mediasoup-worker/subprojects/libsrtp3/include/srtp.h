// libsrtp 3 API, as used by mediasoup's worker, implemented on libsrtp 2.5.
//
// mediasoup >= 3.15 is written against libsrtp 3 (its own fork). Debian 12 has
// libsrtp 2.5.0, which we build statically with OpenSSL (see ../meson.build).
// The libsrtp 3 calls mediasoup makes (worker/src/RTC/SrtpSession.cpp,
// include/RTC/SrtpSession.hpp, src/DepLibSRTP.cpp) differ from libsrtp 2 in:
//
//   libsrtp 3                                    libsrtp 2
//   srtp_policy_t: opaque pointer, built with    srtp_policy_t: a struct
//     srtp_policy_create/destroy and setters       filled in by the caller
//   srtp_create(srtp_t*, srtp_policy_t)          srtp_create(srtp_t*, const srtp_policy_t*)
//   srtp_stream_remove(srtp_t, uint32_t)         srtp_remove_stream(srtp_t, unsigned)
//   srtp_protect(ctx, in, size_t, out,           srtp_protect(ctx, void* inout, int*)
//     size_t* out_len, mki_index) (+ _rtcp)        (+ _rtcp), in place
//   srtp_unprotect(ctx, in, size_t, out,         srtp_unprotect(ctx, void* inout, int*)
//     size_t* out_len) (+ _rtcp)                   (+ _rtcp), in place
//   srtp_err_status_buffer_small (28),           (absent)
//     srtp_err_status_cryptex_err (29)
//
// Everything else mediasoup uses (srtp_init/shutdown, srtp_dealloc, profiles,
// srtp_profile_get_master_key/salt_length, srtp_ssrc_t, events, the event
// handler, SRTP_MAX_TRAILER_LEN, srtp_get_version_string) is the same in both
// and comes straight from libsrtp 2's header.
//
// The technique: libsrtp 2's header is included with its struct renamed to
// srtp2_policy_t (a macro active only around the #include), then the libsrtp 3
// names are defined here. Functions whose name exists in both versions
// (srtp_create, srtp_protect, ...) are C++ overloads with the libsrtp 3
// parameter lists; the libsrtp 2 C functions keep their own signatures and
// symbols. C++ only: mediasoup's worker is C++.
//
// Limits (mediasoup needs none of these): no MKI (mki_len must be 0), one
// master key per policy, no cryptex, no encrypted header extensions.
//
// srtp_stream_remove: libsrtp 3 takes the SSRC in host byte order, libsrtp 2's
// srtp_remove_stream in network byte order. mediasoup 3.27.1 calls
// srtp_stream_remove(session, htonl(ssrc)), i.e. in network order, as it did
// with libsrtp 2. The value is passed through unchanged, so the stream of that
// SSRC is really removed, which is what mediasoup intends (its changelog: "Fix
// SRTP leak due to streams not being removed when a Producer or Consumer is
// closed").

#ifndef DISTPRIEM_LIBSRTP3_COMPAT_SRTP_H
#define DISTPRIEM_LIBSRTP3_COMPAT_SRTP_H

#ifndef __cplusplus
#error "this libsrtp 3 compatibility header is C++ only"
#endif

#define srtp_policy_t srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#if SRTP_MAX_KEY_LEN < 32 + 14
#error "unexpected libsrtp 2 header: SRTP_MAX_KEY_LEN too small"
#endif

// Error codes added in libsrtp 3. Both fit the range of libsrtp 2's enum
// (its largest value is 27, so 0..31 is representable).
inline constexpr srtp_err_status_t srtp_err_status_buffer_small =
  static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err =
  static_cast<srtp_err_status_t>(29);

// The opaque policy of libsrtp 3: a libsrtp 2 policy plus the key material it
// points to.
struct srtp_policy_ctx_t_
{
	srtp2_policy_t policy;
	unsigned char key[SRTP_MAX_KEY_LEN];
	size_t key_len;
	size_t salt_len;
	bool has_profile;
	srtp_profile_t profile;
	bool has_key;
};

typedef struct srtp_policy_ctx_t_ srtp_policy_ctx_t;
typedef srtp_policy_ctx_t* srtp_policy_t;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	auto* ctx = new (std::nothrow) srtp_policy_ctx_t{};

	if (ctx == nullptr)
	{
		return srtp_err_status_alloc_fail;
	}

	// Defaults of libsrtp 3: no SSRC selector yet, window 128 (libsrtp 2 turns
	// 0 into 128 as well), no repeated transmissions.
	ctx->policy.ssrc.type       = ssrc_undefined;
	ctx->policy.window_size     = 0;
	ctx->policy.allow_repeat_tx = 0;
	ctx->policy.next            = nullptr;

	*policy = ctx;

	return srtp_err_status_ok;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	if (policy == nullptr)
	{
		return;
	}

	// Do not leave key material behind in freed memory.
	volatile unsigned char* p = policy->key;

	for (size_t i = 0; i < sizeof(policy->key); ++i)
	{
		p[i] = 0;
	}

	delete policy;
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	if (
	  ssrc.type != ssrc_specific && ssrc.type != ssrc_any_inbound &&
	  ssrc.type != ssrc_any_outbound)
	{
		return srtp_err_status_bad_param;
	}

	policy->policy.ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	srtp_err_status_t err =
	  srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	policy->profile     = profile;
	policy->has_profile = true;

	return srtp_err_status_ok;
}

// libsrtp 2 reads one buffer: master key immediately followed by master salt.
inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t key_len,
  const uint8_t* salt,
  size_t salt_len,
  const uint8_t* mki,
  size_t mki_len)
{
	if (policy == nullptr || key == nullptr || salt == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	// MKI is not supported by this shim (mediasoup does not use it); without
	// MKI libsrtp 3 allows a single key.
	if (mki != nullptr || mki_len != 0 || policy->has_key)
	{
		return srtp_err_status_bad_param;
	}

	if (key_len == 0 || key_len > sizeof(policy->key) || salt_len > sizeof(policy->key) - key_len)
	{
		return srtp_err_status_bad_param;
	}

	std::memcpy(policy->key, key, key_len);
	std::memcpy(policy->key + key_len, salt, salt_len);

	policy->key_len  = key_len;
	policy->salt_len = salt_len;
	policy->has_key  = true;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	policy->policy.allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t window_size)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	// Same rule as libsrtp 3 (and as libsrtp 2 applies in srtp_create()).
	if (window_size != 0 && (window_size < 64 || window_size >= 0x8000))
	{
		return srtp_err_status_bad_param;
	}

	policy->policy.window_size = static_cast<unsigned long>(window_size);

	return srtp_err_status_ok;
}

// libsrtp 3: srtp_create(srtp_t*, const srtp_policy_t). A null policy creates
// an empty session, as in both versions.
inline srtp_err_status_t srtp_create(srtp_t* session, const srtp_policy_t policy)
{
	if (session == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	if (policy == nullptr)
	{
		return srtp_create(session, static_cast<const srtp2_policy_t*>(nullptr));
	}

	// What libsrtp 3's srtp_policy_validate() checks, for the parts used here.
	if (!policy->has_profile || !policy->has_key || policy->policy.ssrc.type == ssrc_undefined)
	{
		return srtp_err_status_bad_param;
	}

	if (
	  policy->key_len != srtp_profile_get_master_key_length(policy->profile) ||
	  policy->salt_len != srtp_profile_get_master_salt_length(policy->profile))
	{
		return srtp_err_status_bad_param;
	}

	// libsrtp 2 copies what it needs during srtp_create(); the policy (and its
	// key buffer) may be destroyed right after, as mediasoup does.
	srtp2_policy_t p = policy->policy;

	p.key             = policy->key;
	p.keys            = nullptr;
	p.num_master_keys = 0;
	p.next            = nullptr;

	return srtp_create(session, &p);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	// See the comment at the top of this file about byte order.
	return srtp_remove_stream(session, ssrc);
}

namespace distpriem_libsrtp3_compat
{
	// libsrtp 2 protects in place and may append up to `trailer` octets; the
	// libsrtp 3 call has separate input/output buffers and an output capacity.
	inline srtp_err_status_t Protect(
	  srtp_err_status_t (*fn)(srtp_t, void*, int*),
	  size_t trailer,
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t in_len,
	  uint8_t* out,
	  size_t* out_len)
	{
		if (ctx == nullptr || in == nullptr || out == nullptr || out_len == nullptr)
		{
			return srtp_err_status_bad_param;
		}

		if (in_len > static_cast<size_t>(INT_MAX) - trailer)
		{
			return srtp_err_status_bad_param;
		}

		if (*out_len < in_len + trailer)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, in_len);
		}

		int len = static_cast<int>(in_len);

		const srtp_err_status_t err = fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*out_len = static_cast<size_t>(len);
		}

		return err;
	}

	inline srtp_err_status_t Unprotect(
	  srtp_err_status_t (*fn)(srtp_t, void*, int*),
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t in_len,
	  uint8_t* out,
	  size_t* out_len)
	{
		if (ctx == nullptr || in == nullptr || out == nullptr || out_len == nullptr)
		{
			return srtp_err_status_bad_param;
		}

		if (in_len > static_cast<size_t>(INT_MAX))
		{
			return srtp_err_status_bad_param;
		}

		// The packet is copied whole into the output buffer before it is
		// decrypted in place there.
		if (*out_len < in_len)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, in_len);
		}

		int len = static_cast<int>(in_len);

		const srtp_err_status_t err = fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*out_len = static_cast<size_t>(len);
		}

		return err;
	}

	inline srtp_err_status_t ProtectRtp(srtp_t ctx, void* hdr, int* len)
	{
		return srtp_protect(ctx, hdr, len);
	}

	inline srtp_err_status_t UnprotectRtp(srtp_t ctx, void* hdr, int* len)
	{
		return srtp_unprotect(ctx, hdr, len);
	}

	inline srtp_err_status_t ProtectRtcp(srtp_t ctx, void* hdr, int* len)
	{
		return srtp_protect_rtcp(ctx, hdr, len);
	}

	inline srtp_err_status_t UnprotectRtcp(srtp_t ctx, void* hdr, int* len)
	{
		return srtp_unprotect_rtcp(ctx, hdr, len);
	}
} // namespace distpriem_libsrtp3_compat

// mki_index is ignored, as libsrtp 3 ignores it when the policy has no MKI
// (this shim never has one).
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t /*mki_index*/)
{
	// libsrtp 2: "assumes that it can write SRTP_MAX_TRAILER_LEN" octets.
	return distpriem_libsrtp3_compat::Protect(
	  distpriem_libsrtp3_compat::ProtectRtp, SRTP_MAX_TRAILER_LEN, ctx, rtp, rtp_len, srtp, srtp_len);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
	return distpriem_libsrtp3_compat::Unprotect(
	  distpriem_libsrtp3_compat::UnprotectRtp, ctx, srtp, srtp_len, rtp, rtp_len);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx,
  const uint8_t* rtcp,
  size_t rtcp_len,
  uint8_t* srtcp,
  size_t* srtcp_len,
  size_t /*mki_index*/)
{
	// libsrtp 2: "assumes that it can write SRTP_MAX_TRAILER_LEN+4" octets
	// (the SRTCP index).
	return distpriem_libsrtp3_compat::Protect(
	  distpriem_libsrtp3_compat::ProtectRtcp,
	  SRTP_MAX_TRAILER_LEN + 4,
	  ctx,
	  rtcp,
	  rtcp_len,
	  srtcp,
	  srtcp_len);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
	return distpriem_libsrtp3_compat::Unprotect(
	  distpriem_libsrtp3_compat::UnprotectRtcp, ctx, srtcp, srtcp_len, rtcp, rtcp_len);
}

#endif
