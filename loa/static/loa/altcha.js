/* Loa — proof of work for public forms (ALTCHA protocol; server side: loa/core/altcha.py).
   The form carries <input type="hidden" name="altcha" data-challenge="{algorithm, challenge,
   maxnumber, salt, signature}">. This script tries numbers until SHA-256(salt + number) equals the
   challenge, then puts base64(JSON) of the answer in the field. Nothing is sent anywhere else.
   Without JavaScript (or if this fails) the form's "number in words" field stays visible instead.
   SHA-256 is written out here (crypto.subtle exists only on HTTPS pages). */
(function () {
  "use strict";
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);

  function hex(x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }

  // SHA-256 of an ASCII string, as lowercase hex
  function sha256(text) {
    var n = text.length, words = [], i, j;
    var total = ((n + 9 + 63) >> 6) << 4;
    for (i = 0; i < total; i++) words[i] = 0;
    for (i = 0; i < n; i++) words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
    words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    words[total - 1] = n * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
        h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (i = 0; i < total; i += 16) {
      for (j = 0; j < 16; j++) W[j] = words[i + j];
      for (j = 16; j < 64; j++) {
        var a = W[j - 15], b = W[j - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[j] = (W[j - 16] + s0 + W[j - 7] + s1) | 0;
      }
      var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
      for (j = 0; j < 64; j++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var ch = (E & F) ^ (~E & G);
        var t1 = (H + S1 + ch + K[j] + W[j]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var maj = (A & B) ^ (A & C) ^ (B & C);
        var t2 = (S0 + maj) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h0 = (h0 + A) | 0; h1 = (h1 + B) | 0; h2 = (h2 + C) | 0; h3 = (h3 + D) | 0;
      h4 = (h4 + E) | 0; h5 = (h5 + F) | 0; h6 = (h6 + G) | 0; h7 = (h7 + H) | 0;
    }
    return hex(h0) + hex(h1) + hex(h2) + hex(h3) + hex(h4) + hex(h5) + hex(h6) + hex(h7);
  }

  function setup(field) {
    var form = field.form, data;
    var words = document.getElementById("proof-words");
    var status = document.getElementById("proof-status");
    try { data = JSON.parse(field.getAttribute("data-challenge")); } catch (e) { return; }
    if (!data || data.algorithm !== "SHA-256" || sha256("abc").indexOf("ba7816bf") !== 0) return;
    var solved = false, waiting = false, started = Date.now(), number = 0;
    if (words) words.hidden = true;
    if (status) status.hidden = false;

    function fallBack() {
      if (words) words.hidden = false;
      if (status) status.hidden = true;
    }
    function step() {
      var stop = Math.min(number + 2000, data.maxnumber + 1);
      for (; number < stop; number++) {
        if (sha256(data.salt + number) === data.challenge) {
          field.value = btoa(JSON.stringify({
            algorithm: data.algorithm, challenge: data.challenge, number: number,
            salt: data.salt, signature: data.signature, took: Date.now() - started
          }));
          solved = true;
          if (status) status.textContent = status.getAttribute("data-done") || "✓";
          if (waiting) form.submit();
          return;
        }
      }
      if (number > data.maxnumber) { fallBack(); return; }
      setTimeout(step, 0);
    }
    form.addEventListener("submit", function (event) {
      var typed = form.elements.proof_words && form.elements.proof_words.value;
      if (!solved && !typed) {
        event.preventDefault();
        waiting = true;
      }
    });
    setTimeout(step, 0);
  }

  function init() {
    var fields = document.querySelectorAll("input[name=altcha][data-challenge]");
    for (var i = 0; i < fields.length; i++) setup(fields[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
